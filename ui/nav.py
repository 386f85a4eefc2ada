"""The page list: one source for the router (app.py), the home page and the browser tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str        # relative to the repository root
    title: str
    icon: str        # a :material/...: icon (emoji do not render in headless screenshots)
    url_path: str
    section: str
    blurb: str       # one sentence for the home page and the README


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/start/home.py", "Home", ":material/home:", "home", "Start",
             "What GenLab is and where to begin."),
    PageSpec("pages/start/gen_vs_disc.py", "Generative vs discriminative", ":material/compare:", "gen-vs-disc",
             "Start", "P(y | x) against P(x | y): boundaries, densities, samples, outliers, data size."),
    PageSpec("pages/autoencoders/pca_vs_ae.py", "PCA vs autoencoder", ":material/3d_rotation:", "pca",
             "Autoencoders", "Watch a linear autoencoder find the PCA plane, then measure how much of a "
             "curved sheet a nonlinear one keeps."),
    PageSpec("pages/autoencoders/latent_explorer.py", "Latent space explorer", ":material/tune:", "latent",
             "Autoencoders", "Slide through the latent space of an AE, a VAE and an AAE: which can generate?"),
    PageSpec("pages/autoencoders/ae_zoo.py", "Autoencoder zoo", ":material/pets:", "zoo", "Autoencoders",
             "Train stacked, convolutional, recurrent, denoising, sparse, contractive, tied and greedy "
             "autoencoders side by side on the same data."),
    PageSpec("pages/autoencoders/ae_uses.py", "What autoencoders are for", ":material/build:", "ae-uses",
             "Autoencoders", "Anomaly detection by reconstruction error and pretraining with few labels."),
    PageSpec("pages/gans/gan_lab.py", "GAN lab", ":material/sports_kabaddi:", "gan", "GANs",
             "Train GANs live on 2D toys and images: losses, discriminator heat map, mode collapse."),
    PageSpec("pages/diffusion/ddpm.py", "DDPM timeline", ":material/blur_on:", "ddpm", "Diffusion",
             "The forward noising process next to the reverse denoising one, with a trained U-Net."),
    PageSpec("pages/diffusion/flow.py", "Flow matching", ":material/timeline:", "flow", "Diffusion",
             "Straight paths from noise to data, a learned velocity field, optimal-transport pairing and "
             "reflow, trained live in 2-D; then MNIST in a few steps, and classifier-free guidance."),
    PageSpec("pages/evaluation/fid.py", "FID calculator", ":material/straighten:", "fid", "Evaluation",
             "What the Fréchet Inception Distance measures, computed correctly, with its pitfalls shown; KID, "
             "precision and recall, and path length beside it."),
    PageSpec("pages/applications/denoise.py", "Denoise your images", ":material/auto_fix_high:", "denoise",
             "Applications", "Upload photos and compare learned denoisers with classical filters."),
)
