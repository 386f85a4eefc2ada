"""Placeholder: this page is being built (see the issue tracker)."""

import streamlit as st

st.title("ae_zoo")
st.info("This page is under construction.")
