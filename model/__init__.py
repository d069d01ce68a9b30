"""The model stage: a small transformer trained in the build, the figures' data extracted from it, and
the essay's claims checked. Entry points: `model.stage.bundle_key`, `model.stage.build_bundle`."""
