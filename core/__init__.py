"""What every layer stands on: the one settings class and the error tree. Imports nothing
of ``index`` or ``qa``."""
