"""The Streamlit app: pages, shared page setup and caching wrappers.

Only this package imports streamlit. Run the app with ``streamlit run app.py``.
"""
