"""Placeholder: this page is being built (see the issue tracker)."""

import streamlit as st

st.title("pca_vs_ae")
st.info("This page is under construction.")
