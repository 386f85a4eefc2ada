"""The autoencoder zoo: stacked, convolutional, recurrent, denoising, sparse, contractive, tied and
greedy layer-wise autoencoders trained side by side, and what autoencoders are for (anomaly detection,
pretraining with few labels).

One file per variant or concept; :mod:`models.zoo.config` holds the shared config,
:mod:`models.zoo.training` the side-by-side training generator.
"""
