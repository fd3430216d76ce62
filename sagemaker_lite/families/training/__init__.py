"""Training jobs: the service, its semantic rules, and Debugger/Profiler rule evaluations."""
