"""Placeholder: this page is being built (see the issue tracker)."""

import streamlit as st

st.title("gan_lab")
st.info("This page is under construction.")
