"""The schema is built by the migrations alone, and they match the models."""

from sqlalchemy import inspect

from surge.schema import metadata, schema_drift


def test_migrations_match_the_models(engine):
    assert schema_drift(engine) == []


def test_every_model_table_exists_after_migrating(engine):
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
