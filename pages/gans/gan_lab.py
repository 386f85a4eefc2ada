"""GAN lab: train GANs live on 2D toys and on images, step by step, alone or shared with a lecture room."""

import streamlit as st

from ui import gan_images, gan_toy, live, params

MODES = ("toy", "images")  # short names: a bound widget's URL value is what it displays

st.title("GAN lab", anchor=False)
st.caption("A generator G turns noise z into samples; a discriminator D learns to tell them from real data; "
           "each trains against the other. Watch it happen, one update at a time if you like.")

c1, c2 = st.columns([2, 3])
mode = c1.radio("Mode: 2D toys or images", MODES, key="mode", bind="query-params", horizontal=True,
                **params.choice_param("mode", MODES, "toy"))
shared = c2.toggle("Shared run (lecture mode)", key="shared", bind="query-params",
                   help="Everyone who opens this page with shared on watches the same run; only the browser that "
                        "started it (or one opened with the lecturer link) controls it. Otherwise each browser tab "
                        "trains its own (a few at a time: the machine has few cores).")
lecturer = live.is_lecturer()  # reads ?lecturer=<token> once and takes it out of the address bar
if refused := live.lecturer_link_refused():
    st.warning(refused, icon=":material/key_off:")
if shared:
    c2.caption(":material/groups: Shared: open the same URL on other screens to watch this run live"
               + (" (this browser holds the lecturer link: it controls the shared runs)." if lecturer else "."))

with st.expander("The losses, in formulas", icon=":material/functions:"):
    st.markdown("D outputs a logit $a$; $D(x)=\\sigma(a)$ for the first two losses. Each network *minimises* its loss.")
    st.markdown("**Original minimax** (Goodfellow et al. 2014, eq. 1): G's loss saturates when D wins.")
    st.latex(r"L_D = -\mathbb{E}_x[\log D(x)] - \mathbb{E}_z[\log(1 - D(G(z)))],\qquad "
             r"L_G = \mathbb{E}_z[\log(1 - D(G(z)))]")
    st.markdown("**Non-saturating** (same paper, section 3): same D, strong gradients early.")
    st.latex(r"L_G = -\mathbb{E}_z[\log D(G(z))]")
    st.markdown("**Least squares** (Mao et al. 2017, eq. 2 with $a=0, b=1, c=1$), raw output $D$:")
    st.latex(r"L_D = \tfrac12\mathbb{E}_x[(D(x)-1)^2] + \tfrac12\mathbb{E}_z[D(G(z))^2],\qquad "
             r"L_G = \tfrac12\mathbb{E}_z[(D(G(z))-1)^2]")
    st.markdown("**WGAN-GP** (Gulrajani et al. 2017, eq. 3): a critic $D$ estimates the Wasserstein distance; "
                "its gradient norm is pushed to 1 on points $\\hat x$ between real and generated ones.")
    st.latex(r"L_D = \mathbb{E}_z[D(G(z))] - \mathbb{E}_x[D(x)] + \lambda\,\mathbb{E}_{\hat x}"
             r"[(\lVert\nabla_{\hat x} D(\hat x)\rVert_2 - 1)^2],\quad \hat x = \epsilon x + (1-\epsilon)G(z),"
             r"\qquad L_G = -\mathbb{E}_z[D(G(z))]")
    st.markdown("**Mode-collapse metrics** (Srivastava et al. 2017, VEEGAN): of 2,500 samples, a sample is "
                "*high quality* within $3\\sigma$ of its nearest mode; a mode is *covered* with at least 20 "
                "high-quality samples.")

if mode == "images":
    gan_images.render(shared)
else:
    gan_toy.render(shared)
