"""Tests of the dispatch service, through HTTP."""
