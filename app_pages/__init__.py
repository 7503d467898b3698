"""One module a screen: draws, never computes or queries."""
