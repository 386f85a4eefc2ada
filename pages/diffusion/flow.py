"""Flow matching in 2-D: straight paths, a learned velocity field, Euler sampling, OT pairing and reflow."""

import streamlit as st

from models.flow import lab, reflow as reflow_mod, sampling, training
from models.flow.trainer import Reflow, flow_job
from models.runs import checkpoint
from models.flow.distributions import LABELS, SOURCES, TARGETS
from models.flow.config import FlowConfig
from models.flow.figures import loss_figure, paths_figure, samples_figure
from models.flow.pairing import PAIRINGS
from ui import charts, code, flow_mnist, live, params, sidebar

TRAIN_STEPS = (250, 500, 1000, 2000, 4000)
KEPT = 16  # trained flows kept in memory (shared by every visitor: the class's defaults train once)

st.title("Flow matching", anchor=False)
st.caption("Draw a straight line from each noise point to a data point, and teach a network the velocity that "
           "moves points along such lines. Integrating that velocity turns noise into data: the training "
           "objective behind today's image generators (rectified flow, Stable Diffusion 3), here in 2-D, "
           "trained live in seconds, then on MNIST digits (shipped weights) with classifier-free guidance.")

with st.expander("The maths", icon=":material/functions:"):
    st.markdown("A source point $x_0 \\sim p_0$ and a target point $x_1 \\sim p_1$ are joined by a straight "
                "path with constant velocity (Lipman et al. 2023, eq. 20 with $\\sigma_{min}=0$; "
                "Liu et al. 2023):")
    st.latex(r"x_t = (1-t)\,x_0 + t\,x_1,\qquad \frac{d x_t}{dt} = x_1 - x_0,\qquad t\in[0,1]")
    st.markdown("The network $v_\\theta(x, t)$ is regressed on that velocity at $x_t$, the conditional "
                "flow-matching loss (Lipman et al. 2023, eq. 9):")
    st.latex(r"\mathcal{L}_{CFM}(\theta) = \mathbb{E}_{t\sim U(0,1),\,(x_0,x_1)\sim\pi}"
             r"\big\lVert v_\theta(x_t, t) - (x_1 - x_0)\big\rVert^2")
    st.markdown("Its minimiser is the *marginal* velocity $v(x,t)=\\mathbb{E}[x_1-x_0\\mid x_t=x]$, whose ODE "
                "$dx/dt = v(x,t)$ carries $p_0$ to $p_1$. Sampling integrates it with Euler steps "
                "$x_{n+1} = x_n + h\\,v_\\theta(x_n, t_n)$, $h = 1/N$. With independent pairing, paths cross and "
                "$v$ averages their directions, so trajectories curve and one step is not enough. "
                "**Mini-batch optimal transport** pairs each batch by the assignment minimising "
                "$\\sum_i\\lVert x_0^i - x_1^{\\sigma(i)}\\rVert^2$ (Tong et al. 2024): two paths of a batch are "
                "then never at the same place at the same time. **Reflow** (Liu et al. 2023) retrains on the "
                "pairs $(z, \\mathrm{ODE}(z))$ of the trained flow; its straightness")
    st.latex(r"S = \int_0^1 \mathbb{E}\,\big\lVert (Z_1 - Z_0) - v(Z_t, t)\big\rVert^2\,dt")
    st.markdown("is 0 when every trajectory is a straight line travelled at constant speed, and then a single "
                "Euler step is exact. For two Gaussians the marginal field is known in closed form "
                "(`models/flow/paths.py`); GenLab's tests check the trained network against it.")

c = st.columns(4)
source = c[0].selectbox("Source p0", SOURCES, key="source", bind="query-params",
                        help="  \n".join(f"**{k}**: {LABELS[k]}" for k in SOURCES),
                        **params.choice_param("source", SOURCES, "gaussian"))
target = c[1].selectbox("Target p1 (the data)", TARGETS, key="target", bind="query-params",
                        help="  \n".join(f"**{k}**: {LABELS[k]}" for k in TARGETS),
                        **params.choice_param("target", TARGETS, "moons"))
pairing = c[2].radio("Pairing", PAIRINGS, key="pairing", bind="query-params", horizontal=True,
                     help="**independent**: x0 and x1 drawn separately. **ot**: each batch re-paired by the "
                          "optimal assignment (mini-batch optimal transport).",
                     **params.choice_param("pairing", PAIRINGS, "independent"))
train_kwargs = params.slider_choice_param("train", TRAIN_STEPS, 2000)
n_train = c[3].select_slider("Training steps", TRAIN_STEPS, key="train", bind="query-params",
                             help="Adam steps of 256 pairs each (a few seconds on a laptop CPU).", **train_kwargs)

points: tuple = ()
if target == "custom":
    from models.gan.custom_points import parse_points

    text = st.text_area("Your points: one 'x, y' per line (at least 2)", key="flow_pts", height=120,
                        value="-1, 1\n1, 1\n0, -1\n-1.5, -0.5\n1.5, -0.5")
    pts, problems = parse_points(text)
    for p in problems[:5]:
        st.warning(p, icon=":material/edit_note:")
    if len(pts) < 2:
        st.info("Give at least 2 points for your own target (one 'x, y' per line).", icon=":material/info:")
        st.stop()
    points = tuple((round(float(x), 3), round(float(y), 3)) for x, y in pts)

config = FlowConfig(source=source, target=target, pairing=pairing, steps=int(n_train), seed=sidebar.seed(),
                    points=points)


@st.cache_resource(show_spinner=False)
def _store() -> dict:
    """Trained flows by key, shared by every session (a lecture's defaults train once)."""
    return {}


def _get(source, label: str):
    """(trained flow, seconds) for ``source`` (a FlowConfig, or the Reflow of one), trained once through the
    run pool (capped, queued and checkpointed like every live training) and kept for every visitor."""
    store = _store()
    if source in store:
        return store[source]
    job = flow_job(source)
    key = f"flow/{job.digest()}"
    run = live.train_to_end(key, job, label)
    if run is None:
        st.stop()
    value = (checkpoint.restore(job, live.checkpoint_root(key)).trained(), run.snapshot().elapsed_s)
    store[source] = value
    while len(store) > KEPT:
        store.pop(next(iter(store)))
    return value


flow, seconds = _get(config, "Training the velocity field")
tail = float(flow.losses[-100:].mean())
st.caption(f":material/timer: Trained {config.steps:,} steps of 256 pairs in {seconds:.1f} s on this server "
           f"(cached for every visitor); loss over the last 100 steps {tail:.3f}.")

st.header("1. Paths and the learned velocity field", anchor=False)
t = st.slider("Time t", 0.0, 1.0, step=0.05, key="t", bind="query-params", **params.float_param("t", 0.0, 1.0, 0.5))
view = lab.paths_view(flow, t)
left, right = st.columns([3, 2])
charts.show(left, paths_figure(view.x0, view.x1, view.t, view.grid, view.v), key="flow_paths")
with right:
    st.metric("Mean squared path length of these pairs, E|x1 - x0|²", f"{view.cost:.2f}",
              help="Switch the pairing to ot to see the optimal assignment shorten it.")
    st.markdown(f"Grey lines: {len(view.x0)} pairs as the **{pairing}** pairing makes them. Orange: where each "
                f"point is at t = {t:.2f}. Green arrows: the network's velocity $v_\\theta(x, t)$ at that time. "
                "Move t and watch the arrows follow the points.")

st.header("2. Sampling with Euler steps", anchor=False)
steps = st.slider("Euler steps N", 1, 100, key="steps", bind="query-params", **params.int_param("steps", 1, 100, 8))
sv = lab.samples_view(flow, steps)
left, right = st.columns([3, 2])
charts.show(left, samples_figure(sv.traj, sv.target), key="flow_samples")
with right:
    st.metric(f"W2 to the target after {steps} steps", f"{sv.w2:.3f}",
              help="2-Wasserstein distance between 1,000 samples and 1,000 target points (exact assignment). "
                   "Lower is better.")
    st.caption(f"Best reachable with 1,000 points: {sv.w2_floor:.3f} (W2 between two samples of the target "
               f"itself).")
    charts.show(st, loss_figure(flow.losses), key="flow_loss")

st.header("3. Reflow: straighten the flow", anchor=False)
st.markdown("Reflow generates 4,000 pairs $(z, \\mathrm{ODE}(z))$ with the flow above (100 Euler steps) and "
            f"trains {config.steps:,} more steps on them, starting from its weights.")
have = Reflow(config) in _store()
if have or st.button("Reflow", icon=":material/straighten:", key="do_reflow", type="primary"):
    second, seconds2 = _get(Reflow(config), "Reflow")
    before, after = lab.report(flow), lab.report(second)
    rows = [{"": "straightness S (0 = straight)", "before reflow": f"{before.straightness:.4f}",
             "after reflow": f"{after.straightness:.4f}"}]
    rows += [{"": f"W2 to the target, {k} Euler step{'s' if k > 1 else ''}", "before reflow": f"{before.w2[k]:.3f}",
              "after reflow": f"{after.w2[k]:.3f}"} for k in lab.QUALITY_STEPS]
    st.dataframe(rows, hide_index=True)
    verdict = ("straighter" if after.straightness < before.straightness else "not straighter")
    st.markdown(f"Measured now, on 1,000 fresh source points: after reflow ({seconds2:.1f} s) the flow is "
                f"**{verdict}**: S went from {before.straightness:.4f} to {after.straightness:.4f}, and one Euler "
                f"step lands at W2 {after.w2[1]:.3f} from the target (before: {before.w2[1]:.3f}).")
    sv2 = lab.samples_view(second, steps)
    charts.show(st, samples_figure(sv2.traj, sv2.target), key="flow_samples_reflow")

code.show_code(training.cfm_loss, training.train_step, sampling.euler, reflow_mod.reflow)

flow_mnist.section(sidebar.seed())
