"""Generative vs discriminative models on 2D data, and the probability distributions later pages sample from.

Modules: ``distributions`` (a scipy.stats catalogue), ``data2d`` (labelled 2D point sets), ``classifiers``
(scikit-learn models; the generative ones can sample), ``boundaries`` (grids, posteriors, densities, lines),
``compare`` (every model on one data set), ``outliers`` and ``learning_curve`` (seeded experiments),
``figures`` (plotly figures).
"""
