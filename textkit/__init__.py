"""Text tools that both the build side (``index/``) and the serving side (``qa/``) need:
language detection, lexical terms, sentence units, the Chinese→English gloss and number
normalisation. This package imports neither ``index`` nor ``qa``."""
