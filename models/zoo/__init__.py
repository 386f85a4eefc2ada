"""The autoencoder zoo: stacked, convolutional, recurrent, denoising, sparse, contractive, tied and
greedy layer-wise autoencoders trained side by side, and what autoencoders are for (anomaly detection,
pretraining with few labels).

One file per variant or concept; :mod:`models.zoo.config` holds the shared config,
:mod:`models.zoo.training` one variant's training, :mod:`models.zoo.trainer` the side-by-side race (a
family of the run layer).
"""
