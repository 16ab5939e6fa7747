"""The reviewer app (Streamlit): ``streamlit run app/streamlit_app.py`` (or ``xxgk app``)."""
