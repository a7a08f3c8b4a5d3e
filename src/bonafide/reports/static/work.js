// bonafide reports: the proof of work the intake asks for, done in the browser before sending.
// Served only when the intake runs with --proof-of-work; the form works without it otherwise.
(function () {
  "use strict";
  var form = document.querySelector("form[data-work-bits]");
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) {
    return;
  }
  var bits = parseInt(form.getAttribute("data-work-bits"), 10);
  var challenge = form.querySelector("input[name=pow_challenge]").value;
  var nonce = form.querySelector("input[name=pow_nonce]");
  var button = form.querySelector("button[type=submit]");
  var status = document.getElementById("work-status");
  var encoder = new TextEncoder();

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) {
        count += 8;
        continue;
      }
      for (var mask = 0x80; mask > 0 && (bytes[i] & mask) === 0; mask >>= 1) {
        count += 1;
      }
      return count;
    }
    return count;
  }

  button.disabled = true;
  status.textContent = "Preparing the form (a few seconds)…";
  (async function () {
    for (var n = 0; ; n++) {
      var digest = await window.crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + n));
      if (zeroBits(new Uint8Array(digest)) >= bits) {
        nonce.value = String(n);
        button.disabled = false;
        status.textContent = "Ready to send.";
        return;
      }
    }
  })();
})();
