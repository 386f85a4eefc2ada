"""Flow matching on MNIST with classifier-free guidance: one class-conditional U-Net v_theta(x_t, t, y).

Read in this order: :mod:`.config` (what defines the model), :mod:`.net` (the U-Net with a class
embedding; the label 10 is "no label", the empty condition), :mod:`.training` (the conditional
flow-matching loss with label dropout), :mod:`.trainer` (the run layer's ``flow_images`` family:
resumable), :mod:`.sampling` (Euler steps, guided velocities) and :mod:`.evaluate` (quality against the
number of network evaluations, and fidelity against diversity as the guidance scale grows).
"""
