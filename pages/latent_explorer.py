"""Placeholder: this page is being built (see the issue tracker)."""

import streamlit as st

st.title("latent_explorer")
st.info("This page is under construction.")
