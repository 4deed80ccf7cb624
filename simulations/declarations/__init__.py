"""One declaration per simulation; :mod:`simulations.registry` lists them."""
