"""Phase 5A: the original's five prediction systems over the ML feature store (spec phase5-6
§1-§3), and a sixth, line-aware one priced as a bet (issue 13).

Layers, each importing only the ones above it (a test holds the order):

* ``windows``       model windows as pure dates (stdlib only: the Snakefile imports it);
* ``participation`` the one definition of "did not play", for SQL and Python;
* ``features``      the MLFS feature record as a dict, the 25 names in order;
* ``pricing``       P(over)/P(under) from residual quantiles, EV at American prices, the recommendation;
* ``final_dates``   the dates a model may learn from: every game final (issue 12);
* ``systems``       the six systems, each a pure function of one player's features (+ history);
* ``history``       the similarity system's historical games, from real box scores and features;
* ``artifacts``     a window's model and weights files: reading, damage, the serving model, writing;
* ``inference``     the systems on the warehouse's players: one path for serving and the ensemble slice;
* ``training``      walk-forward XGBoost: training data and training of one window;
* ``market``        walk-forward market_xgboost_v1: the residual on the line, its calibration, serving;
* ``stacking``      the ensemble's learned weights, fitted per month on a slice before it;
* ``build``         the table builder: one chunk of ``nba_predictions.player_prop_predictions_base``.

The monthly training job (the train_models rule) is ``nbaprops.training_job``, next to the other jobs.
"""
