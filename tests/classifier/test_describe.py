"""Text alternatives from the classifier agree with the classifier and with the held-out labels."""

import torch

from models.classifier import load_classifier
from models.classifier.describe import looks_like, sequence, summary


def test_held_out_digits_are_described_by_their_labels(mnist_test):
    x, y = mnist_test.x[:50], mnist_test.y[:50]
    words = looks_like(x, "mnist")
    with torch.no_grad():
        pred = load_classifier("mnist")(x).argmax(1)
    right = [w.startswith(f"looks like a {int(c)} ") for w, c in zip(words, y)]
    assert sum(right) >= 45  # the classifier is about 99% accurate on held-out digits
    assert all(w.startswith(f"looks like a {int(p)} ") or w.startswith("no clear") for w, p in zip(words, pred))
    s = summary(x, "mnist")
    counts = {int(k): int(v) for k, v in (part.split(" x") for part in s.removeprefix("the classifier reads ")
                                          .split(";")[0].split(", "))}
    assert sum(counts.values()) <= 50 and abs(counts.get(int(y[0]), 0) - int((y == y[0]).sum())) <= 3


def test_sequence_has_one_entry_per_image_in_order(mnist_test):
    x, y = mnist_test.x[:6], mnist_test.y[:6]
    seq = sequence(x, "mnist").removeprefix("reads as ").split(", ")
    assert len(seq) == 6
    assert sum(s == str(int(c)) for s, c in zip(seq, y)) >= 5
