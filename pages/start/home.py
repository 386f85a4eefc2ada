"""Home: what GenLab is, and one line per page with a link."""

import streamlit as st

from ui import nav

st.title("GenLab")
st.markdown(
    "An interactive lab for **generative models**: autoencoders, GANs and diffusion models. Every page "
    "trains or runs a real PyTorch model live, puts the maths next to it, and measures what it shows. "
    "Shipped weights make every page useful at once, offline; the sidebar sets the dataset and the seed."
)
section = None
for spec in nav.PAGES[1:]:
    if spec.section != section:
        section = spec.section
        st.header(section)
    st.page_link(spec.path, label=f"**{spec.title}**: {spec.blurb}", icon=spec.icon)
st.caption("Deep links: every main widget is mirrored in the URL, so a slide can link to a preset "
           "(for example `/pca?k=5` or `/gan?loss=wgan-gp`).")
