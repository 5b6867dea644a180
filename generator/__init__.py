"""Press Archive: press-release dumps in, a searchable MkDocs site out.

The package reads as its pipeline, one module per stage:
``reader`` → ``dedupe`` → ``neardup`` → ``classify`` (with ``taxonomy``, ``lexicon``,
``categorize``, ``related``) → ``permalinks`` → ``catalog`` → the render stage (``render``
for release pages, ``listings``, ``home``, ``chart``, ``feeds``, ``exports``, from the pieces
in ``blocks``) → ``writer``, tied together by ``pipeline`` and driven by ``cli``.
"""

__version__ = "0.1.0"
