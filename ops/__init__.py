"""Operations scripts (soak run); not part of the test run."""
