"""The job families: one folder each, service and rules together.

A family never imports another family's folder; what several share lives in
``shared/``, and a family reaches another through the engine
(``world.emulator.family(kind)``).

Imports: ``engine`` and ``contract`` (and ``shared/``).
"""
