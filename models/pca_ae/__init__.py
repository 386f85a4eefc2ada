"""PCA against autoencoders (HOML ch. 17): closed-form PCA, linear and nonlinear autoencoders, subspaces.

Modules:
    pca: PCA by SVD (scores, reconstructions, the error for every code size k).
    subspace: principal angles between subspaces; the best linear map between two codings.
    linear_ae: the 3 -> 2 -> 3 linear autoencoder and its live training generator.
    nonlinear_ae: a small MLP autoencoder on curved 3D manifolds (S-curve, swiss roll).
    image_ae: the k sweep on images: linear and the book's stacked 784-100-k-100-784 autoencoders.
    tsne: t-SNE of autoencoder codings, with progress.
    figures, image_figures: pure functions returning plotly Figures.
"""
