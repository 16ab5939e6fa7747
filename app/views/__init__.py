"""The app's pages, one module each with a ``main()`` (routed by ``app/streamlit_app.py``).

Not named ``pages/``: Streamlit treats a ``pages/`` folder beside the entry script as a
version-1 multipage app and runs its files directly when a page URL is opened first,
bypassing ``st.navigation`` (and the page setup in the entry script).
"""
