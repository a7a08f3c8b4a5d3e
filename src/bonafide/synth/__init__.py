"""A deterministic synthetic population of Belarus, its registries and applicant cohorts."""

from bonafide.synth.generate import SynthSummary, synthesise
from bonafide.synth.noise import NoiseRates
from bonafide.synth.world import SynthConfig

__all__ = ["NoiseRates", "SynthConfig", "SynthSummary", "synthesise"]
