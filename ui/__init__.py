"""Shared pieces of the Streamlit interface: the cache seam, page chrome, language."""
