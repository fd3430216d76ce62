"""The engine: a simulated SageMaker's state and time.

Clock and scheduler, the lifecycle tables, the job record, the registry of
one (account, region), list orders, scripted behaviour, the emulator that
drives them, and snapshots.  It knows job kinds only as data: the families
that react to events are handed to it (``Emulator(families=...)``).

Imports: ``contract`` only.
"""
