"""FID done right: the Fréchet distance, KID, Inception Score, feature extractors and image sets.

Command line: ``python -m models.fid PATH_A PATH_B [--features inception|mnist|pixels]`` (see __main__).
"""

from .comparison import Comparison, compare, corruption_curve, n_warnings
from .extractors import EXTRACTORS, INFO, Extracted, extract
from .frechet import FrechetTerms, frechet_distance, frechet_terms, trace_sqrt_product
from .inception_score import InceptionScore, inception_score
from .kid import KID, kernel_inception_distance, mmd2_unbiased
from .small_n import FidCurve, fid_curve, fit_fid_infinity
from .stats import FeatureStats, feature_stats, load_stats, save_stats

__all__ = ["Comparison", "compare", "corruption_curve", "n_warnings", "EXTRACTORS", "INFO", "Extracted",
           "extract", "FrechetTerms", "frechet_distance", "frechet_terms", "trace_sqrt_product",
           "InceptionScore", "inception_score", "KID", "kernel_inception_distance", "mmd2_unbiased",
           "FidCurve", "fid_curve", "fit_fid_infinity", "FeatureStats", "feature_stats", "load_stats",
           "save_stats"]
