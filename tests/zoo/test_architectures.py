"""Networks of the zoo: shapes, tied weights (about half the parameters), rows as a sequence."""

import pytest
import torch

from models.zoo.config import VARIANTS, digits_config, mnist_config
from models.zoo.convolutional import ConvAE
from models.zoo.recurrent import RecurrentAE
from models.zoo.stacked import StackedAE, n_params
from models.zoo.tied import TiedAE
from models.zoo.variants import build, image_shape


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("make", [digits_config, mnist_config])
def test_every_variant_maps_images_to_codes_and_back(variant, make):
    config = make(variant)
    model = build(config)
    x0 = torch.rand(3, *image_shape(config))
    x_hat, z = model(x0)
    assert x_hat.shape == x0.shape and z.shape == (3, config.code)
    assert float(x_hat.detach().min()) >= 0 and float(x_hat.detach().max()) <= 1


@pytest.mark.parametrize("shape,hidden,code", [((1, 8, 8), 64, 8), ((1, 28, 28), 64, 16), ((1, 28, 28), 300, 30)])
def test_tied_autoencoder_has_close_to_half_the_weights_of_its_untied_twin(shape, hidden, code):
    tied, untied = n_params(TiedAE(shape, hidden, code)), n_params(StackedAE(shape, hidden, code))
    d = shape[1] * shape[2]
    # Closed form: the untied twin has 2(Dh + hk) weights and 2h + k + D biases; tying drops Dh + hk weights.
    assert untied == 2 * (d * hidden + hidden * code) + 2 * hidden + code + d
    assert tied == untied - (d * hidden + hidden * code)
    assert 0.45 <= tied / untied <= 0.55


def test_tied_decoder_is_the_transposed_encoder():
    model = TiedAE((1, 8, 8), 16, 4)
    z = torch.randn(5, 4)
    w1, w2 = model.enc1.weight, model.enc2.weight
    expected = torch.sigmoid(torch.relu(z @ w2 + model.dec1_bias) @ w1 + model.dec2_bias).view(5, 1, 8, 8)
    torch.testing.assert_close(model.decode(z), expected)
    with torch.no_grad():
        model.enc1.weight.mul_(2)  # changing the encoder changes the decoder: they share one matrix
    assert not torch.allclose(model.decode(z), expected)


def test_recurrent_encoder_reads_one_row_per_time_step():
    model = RecurrentAE((1, 8, 8), 12, 4)
    x0 = torch.rand(2, 1, 8, 8)
    torch.testing.assert_close(model.rows(x0)[:, 3], x0[:, 0, 3])  # time step 3 is row 3
    states = model.read(x0)
    x1 = x0.clone()
    x1[:, :, 5:] = torch.rand(2, 1, 3, 8)  # change rows 5..7 only
    after = model.read(x1)
    torch.testing.assert_close(states[:, :5], after[:, :5])  # states before row 5 cannot see the change
    assert not torch.allclose(states[:, 5:], after[:, 5:])


def test_conv_autoencoder_needs_sides_divisible_by_four():
    assert ConvAE((1, 28, 28), 16).grid == (16, 7, 7)
    with pytest.raises(ValueError, match="divisible by 4"):
        ConvAE((1, 10, 10), 16)


def test_conv_has_fewer_weights_than_dense_on_mnist():
    assert n_params(build(mnist_config("conv"))) < n_params(build(mnist_config("stacked")))
