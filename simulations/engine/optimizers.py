"""Update rules for the descent simulation, written as torch.optim writes them.

An optimizer is made per run (it may keep state, a velocity or running averages) and its
``update(gradient)`` returns the step to add to the parameters:

- gradient descent: step = -eta g;
- momentum (Polyak's heavy ball, in torch.optim.SGD's form with dampening 0):
  v <- beta v + g, step = -eta v. Unrolled, theta_{t+1} = theta_t - eta g_t
  + beta (theta_t - theta_{t-1}): the heavy ball with learning rate eta;
- RMSProp (Tieleman & Hinton 2012, torch.optim.RMSprop): s <- alpha s + (1 - alpha) g^2,
  step = -eta g / (sqrt(s) + eps), per coordinate;
- Adam (Kingma & Ba 2015, torch.optim.Adam): m <- beta1 m + (1 - beta1) g,
  s <- beta2 s + (1 - beta2) g^2, bias-corrected by 1 - beta^t,
  step = -eta m_hat / (sqrt(s_hat) + eps), per coordinate.
"""

from __future__ import annotations

import math

import numpy as np


class GradientDescent:
    """theta <- theta - eta * grad: no state, the step is the scaled negative gradient."""

    def __init__(self, learning_rate: float):
        self.learning_rate = learning_rate

    def update(self, gradient: np.ndarray) -> np.ndarray:
        return -self.learning_rate * gradient


class Momentum:
    """v <- beta v + g, theta <- theta - eta v (torch's convention, v_0 = 0)."""

    def __init__(self, learning_rate: float, momentum: float):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocity = None

    def update(self, gradient: np.ndarray) -> np.ndarray:
        # torch starts the buffer at the first gradient, which is beta * 0 + g.
        self.velocity = gradient if self.velocity is None else (
            self.momentum * self.velocity + gradient)
        return -self.learning_rate * self.velocity


class RMSProp:
    """s <- alpha s + (1 - alpha) g^2, theta <- theta - eta g / (sqrt(s) + eps)."""

    def __init__(self, learning_rate: float, alpha: float, eps: float):
        self.learning_rate, self.alpha, self.eps = learning_rate, alpha, eps
        self.square_average = 0.0

    def update(self, gradient: np.ndarray) -> np.ndarray:
        self.square_average = (self.alpha * self.square_average
                               + (1 - self.alpha) * gradient * gradient)
        return -self.learning_rate * gradient / (np.sqrt(self.square_average) + self.eps)


class Adam:
    """Adam with bias correction, in the order of operations torch.optim.Adam uses."""

    def __init__(self, learning_rate: float, beta1: float, beta2: float, eps: float):
        self.learning_rate, self.beta1, self.beta2, self.eps = learning_rate, beta1, beta2, eps
        self.first_moment = 0.0
        self.second_moment = 0.0
        self.step_count = 0

    def update(self, gradient: np.ndarray) -> np.ndarray:
        self.step_count += 1
        self.first_moment = self.beta1 * self.first_moment + (1 - self.beta1) * gradient
        self.second_moment = (self.beta2 * self.second_moment
                              + (1 - self.beta2) * gradient * gradient)
        # Early averages start from zero and are too small; dividing by 1 - beta^t undoes it.
        correction1 = 1 - self.beta1**self.step_count
        correction2 = 1 - self.beta2**self.step_count
        denominator = np.sqrt(self.second_moment) / math.sqrt(correction2) + self.eps
        return -(self.learning_rate / correction1) * self.first_moment / denominator


def best_momentum(curvatures: np.ndarray) -> tuple[float, float]:
    """Return Polyak's best (eta, beta) for curvatures in [lambda_min, lambda_max].

    eta = 4 / (sqrt(lambda_max) + sqrt(lambda_min))^2, beta = ((sqrt(kappa) - 1) /
    (sqrt(kappa) + 1))^2: every direction's iteration then has complex (or, at the two
    ends, double) eigenvalues of modulus sqrt(beta) = (sqrt(kappa) - 1) / (sqrt(kappa) + 1).
    """
    low, high = math.sqrt(float(curvatures.min())), math.sqrt(float(curvatures.max()))
    return 4.0 / (high + low) ** 2, ((high - low) / (high + low)) ** 2


def linear_rate(learning_rate: float, momentum: float, curvatures: np.ndarray) -> float:
    """Return the spectral radius of the (linearized) heavy-ball iteration.

    Along a direction of curvature lambda, (theta_{t+1}, theta_t) = M (theta_t, theta_{t-1})
    with M = [[1 + beta - eta lambda, -beta], [1, 0]]; beta = 0 is gradient descent, whose
    radius is |1 - eta lambda|. The distance to the minimum shrinks by about the largest
    radius per step (by exactly it, for gradient descent).
    """
    if momentum == 0:
        return float(np.max(np.abs(1.0 - learning_rate * curvatures)))
    radii = []
    for curvature in curvatures:
        # Roots of z^2 - a z + beta: complex pairs have modulus sqrt(beta); real ones the
        # larger |root|. At Polyak's best pair the two ends are double roots, where
        # round-off in a^2 - 4 beta moves the radius by about 1e-8 (relative).
        trace = 1 + momentum - learning_rate * float(curvature)
        discriminant = trace * trace - 4 * momentum
        radii.append(math.sqrt(momentum) if discriminant <= 0
                     else (abs(trace) + math.sqrt(discriminant)) / 2)
    return float(max(radii))
