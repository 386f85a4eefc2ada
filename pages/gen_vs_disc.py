"""Placeholder: this page is being built (see the issue tracker)."""

import streamlit as st

st.title("gen_vs_disc")
st.info("This page is under construction.")
