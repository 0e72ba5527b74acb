import sqlite_utils


def test_demo_builds_a_corpus_from_the_bundled_sample_and_says_where(cli, tmp_path):
    result = cli("demo", "--dir", tmp_path / "demo")
    assert result.exit_code == 0, result.output
    db_file = tmp_path / "demo" / "kommunpress.db"
    assert str(db_file.relative_to(tmp_path)) in result.stdout or str(db_file) in result.stdout
    assert sqlite_utils.Database(db_file)["documents"].count == 5
    again = cli("demo", "--dir", tmp_path / "demo")
    assert again.exit_code == 0
    assert sqlite_utils.Database(db_file)["documents"].count == 5
