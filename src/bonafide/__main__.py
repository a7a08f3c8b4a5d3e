from bonafide.cli import main

main()
