"""The solver core: routing instance, OR-Tools engine, Problem <-> instance <-> Plan."""
