"""Flow matching (Lipman et al. 2023; Liu et al. 2023, rectified flow) in 2-D.

Read in this order: ``paths.py`` (the straight conditional paths and, for Gaussians, the exact marginal
velocity field), ``pairing.py`` (which source point travels to which target point: independent or mini-batch
optimal transport), ``net.py`` and ``training.py`` (the flow-matching loss), ``sampling.py`` (Euler steps,
straightness, distance to the target), ``reflow.py`` (straightening by retraining on the model's own pairs).
"""
