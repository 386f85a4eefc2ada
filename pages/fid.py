"""Placeholder: this page is being built (see the issue tracker)."""

import streamlit as st

st.title("fid")
st.info("This page is under construction.")
