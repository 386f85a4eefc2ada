"""Streamlit helpers shared by the pages: navigation, sidebar, data access, URL parameters, live runs.

This package is the only place besides ``pages/`` and ``app.py`` that imports streamlit.
It holds no maths: it reads widgets, calls ``models``, and renders what comes back.
"""
