"""Run the kg command line as ``python -m kg``."""

from kg.supervise import main

main()
