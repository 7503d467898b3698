"""Metric registry and pure functions on small frames: no Streamlit, no SQL."""
