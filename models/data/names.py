"""The image datasets GenLab knows, by name: readable without loading PyTorch (the sidebar lists them)."""

IMAGE_DATASETS = ("digits", "mnist", "fashion")
LABELS = {"digits": "scikit-learn digits (8x8)", "mnist": "MNIST (28x28)", "fashion": "Fashion-MNIST (28x28)"}
