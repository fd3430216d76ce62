"""The shipped constraint model: generated faithfully, deterministic, documentation-free."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from sagemaker_lite.contract import patterns, spec
from sagemaker_lite.contract.operations import OPERATIONS, SPEC_OPERATIONS
from sagemaker_lite.contract.spec import __main__ as cli

FAKE_SERVICE = {
    "metadata": {"apiVersion": "2017-07-24"},
    "operations": {
        "CreateThing": {
            "input": {"shape": "CreateThingRequest"},
            "output": {"shape": "CreateThingResponse"},
            "errors": [{"shape": "ResourceInUse"}],
            "documentation": "<p>Creates.</p>",
        },
        "Other": {"input": {"shape": "Unreachable"}},
    },
    "shapes": {
        "CreateThingRequest": {
            "type": "structure",
            "required": ["Name"],
            "members": {
                "Zeta": {"shape": "Count", "documentation": "z"},
                "Name": {"shape": "Name"},
                "Tags": {"shape": "TagList"},
                "Params": {"shape": "ParamMap"},
                "When": {"shape": "Timestamp"},
            },
            "documentation": "<p>doc</p>",
        },
        "CreateThingResponse": {"type": "structure", "members": {}},
        "ResourceInUse": {
            "type": "structure",
            "members": {"Message": {"shape": "Name"}},
            "exception": True,
        },
        "Count": {"type": "integer", "min": 1, "max": 10, "box": True},
        "Name": {"type": "string", "min": 1, "max": 63, "pattern": "[a-z]+"},
        "Kind": {"type": "string", "enum": ["B", "A"]},
        "TagList": {"type": "list", "member": {"shape": "Kind"}, "max": 50},
        "ParamMap": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Kind"}},
        "Timestamp": {"type": "timestamp"},
        "Unreachable": {"type": "string"},
    },
}


def test_build_model_keeps_constraints_and_drops_documentation() -> None:
    model = spec.build_model(FAKE_SERVICE, ["CreateThing"])
    shapes = model["shapes"]
    assert set(shapes) == {
        "CreateThingRequest",
        "CreateThingResponse",
        "ResourceInUse",
        "Count",
        "Name",
        "Kind",
        "TagList",
        "ParamMap",
        "Timestamp",
    }
    request = shapes["CreateThingRequest"]
    # Member order is the model's (botocore lists members in that order).
    assert request["members"] == [
        ["Zeta", "Count"],
        ["Name", "Name"],
        ["Tags", "TagList"],
        ["Params", "ParamMap"],
        ["When", "Timestamp"],
    ]
    assert request["required"] == ["Name"]
    assert shapes["Count"] == {"type": "integer", "min": 1, "max": 10}
    assert shapes["Name"] == {"type": "string", "min": 1, "max": 63, "pattern": "[a-z]+"}
    assert shapes["Kind"]["enum"] == ["B", "A"]  # enum order preserved
    assert shapes["TagList"] == {"type": "list", "member": "Kind", "max": 50}
    assert shapes["ParamMap"] == {"type": "map", "key": "Name", "value": "Kind"}
    assert shapes["Timestamp"] == {"type": "timestamp"}
    assert shapes["ResourceInUse"]["exception"] is True
    assert model["operations"] == {
        "CreateThing": {
            "input": "CreateThingRequest",
            "output": "CreateThingResponse",
            "errors": ["ResourceInUse"],
        }
    }
    assert "documentation" not in spec.render(model)


def test_render_is_deterministic_and_sorted() -> None:
    model = spec.build_model(FAKE_SERVICE, ["CreateThing"])
    text = spec.render(model)
    assert text == spec.render(json.loads(text))
    assert text.endswith("\n") and "\n" not in text[:-1]
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_shipped_model_covers_every_spec_operation() -> None:
    shipped = json.loads(spec.MODEL_PATH.read_text(encoding="utf-8"))
    assert set(shipped["operations"]) == set(SPEC_OPERATIONS)
    model = spec.load_model()
    # load_model() adds the legacy (pre-current-API) operations the client also serves.
    assert set(model["operations"]) == set(OPERATIONS)
    for entry in model["operations"].values():
        for key in ("input", "output"):
            if key in entry:
                assert entry[key] in model["shapes"]
    assert spec.shape("TrainingJobName")["max"] == 63
    assert spec.load_model() is model  # cached


def test_shipped_file_equals_generator_output() -> None:
    pytest.importorskip("botocore")
    assert spec.MODEL_PATH.read_text(encoding="utf-8") == spec.generate()


def test_check_command_detects_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("botocore")
    stale = tmp_path / "sagemaker.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(cli, "MODEL_PATH", stale)
    monkeypatch.setattr(cli, "UNICODE_PATH", tmp_path / "unicode.json")
    assert cli.main(["check"]) == 1
    assert cli.main(["refresh"]) == 0
    assert stale.read_text(encoding="utf-8") == spec.generate()
    assert (tmp_path / "unicode.json").read_text(encoding="utf-8") == cli.generate_unicode()
    assert cli.main(["check"]) == 0
    assert "stale" in capsys.readouterr().err


def test_shipped_unicode_table_equals_a_fresh_computation() -> None:
    shipped = json.loads(patterns.UNICODE_PATH.read_text(encoding="utf-8"))
    if shipped["unidata_version"] != unicodedata.unidata_version:
        pytest.skip(f"this Python has Unicode {unicodedata.unidata_version}, the table another")
    assert patterns.UNICODE_PATH.read_text(encoding="utf-8") == cli.generate_unicode()


def test_class_bodies_from_the_table_match_unicodedata() -> None:
    # Every code point a \p{...} class accepts has the category it names, and no other does.
    for java, prefix in (("\\p{Lu}+", "Lu"), ("\\p{N}+", "N"), ("\\p{Z}+", "Z")):
        regex = patterns.compiled(java)
        for code in range(0, 0x3000):
            char = chr(code)
            expected = unicodedata.category(char).startswith(prefix)
            assert (regex.search(char) is not None) is expected, (java, hex(code))
