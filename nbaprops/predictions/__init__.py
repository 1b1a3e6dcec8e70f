"""Phase 5A: five prediction systems over the ML feature store (spec phase5-6 §1-§3).

* ``features``  the MLFS feature record as a dict, the 25 names in order;
* ``systems``   the five systems, each a pure function of one player's features (+ history);
* ``history``   the similarity system's historical games, from real box scores and features;
* ``models``    walk-forward XGBoost: windows, training data, training, artifacts; the monthly job;
* ``stacking``  the ensemble's learned weights, fitted per month on a slice before it;
* ``build``     the table builder: one chunk of ``nba_predictions.player_prop_predictions_base``.
"""
