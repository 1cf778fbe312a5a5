"""Block Kit limit checks, close enough to Slack's to answer `invalid_blocks` where Slack would.

Limits from Slack's Block Kit reference: 50 blocks per message (100 in modals / App Home), section text
3,000, section fields 10 x 2,000, header text 150, button text 75, action_id / block_id 255, button value
2,000, url 3,000, 25 elements per actions block, 10 per context block, overflow menus 1-5 options with
plain_text text up to 75 and value up to 150. Error strings imitate Slack's
"<problem> [json-pointer:/blocks/0/text/text]" format.
"""

from __future__ import annotations

from typing import Any

MESSAGE_MAX_BLOCKS = 50
SURFACE_MAX_BLOCKS = 100
MAX_ID = 255
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_ACTION_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_OVERFLOW_OPTIONS = 5
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
KNOWN_BLOCK_TYPES = frozenset(
    {"section", "divider", "image", "actions", "context", "input", "header", "rich_text", "file", "video"}
)


def _too_long(value: Any, limit: int, pointer: str, errors: list[str]) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.append(f"must be less than {limit + 1} characters [json-pointer:{pointer}]")


def _text_object(obj: Any, limit: int, pointer: str, errors: list[str]) -> None:
    if obj is None:
        return
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        errors.append(f"must be a text object [json-pointer:{pointer}]")
        return
    text = obj.get("text")
    if not isinstance(text, str) or text == "":
        errors.append(f"must be more than 0 characters [json-pointer:{pointer}/text]")
        return
    _too_long(text, limit, f"{pointer}/text", errors)


def _element(element: Any, pointer: str, errors: list[str]) -> None:
    if not isinstance(element, dict) or "type" not in element:
        errors.append(f"must provide an object with a type [json-pointer:{pointer}]")
        return
    _too_long(element.get("action_id"), MAX_ID, f"{pointer}/action_id", errors)
    if element["type"] == "button":
        _text_object(element.get("text"), MAX_BUTTON_TEXT, f"{pointer}/text", errors)
        _too_long(element.get("value"), MAX_BUTTON_VALUE, f"{pointer}/value", errors)
        _too_long(element.get("url"), MAX_URL, f"{pointer}/url", errors)
    elif element["type"] == "overflow":
        options = element.get("options")
        if not isinstance(options, list) or not 1 <= len(options) <= MAX_OVERFLOW_OPTIONS:
            errors.append(f"must have 1 to {MAX_OVERFLOW_OPTIONS} items [json-pointer:{pointer}/options]")
            return
        for i, option in enumerate(options):
            at = f"{pointer}/options/{i}"
            if not isinstance(option, dict):
                errors.append(f"must provide an object [json-pointer:{at}]")
                continue
            text = option.get("text")
            if not isinstance(text, dict) or text.get("type") != "plain_text":
                errors.append(f"must be a plain_text object [json-pointer:{at}/text]")
            else:
                _text_object(text, MAX_OPTION_TEXT, f"{at}/text", errors)
            value = option.get("value")
            if not isinstance(value, str) or not value:
                errors.append(f"must provide a value [json-pointer:{at}/value]")
            _too_long(value, MAX_OPTION_VALUE, f"{at}/value", errors)


def _action_ids_unique(elements: list[Any], pointer: str, errors: list[str]) -> None:
    seen: set[str] = set()
    for i, element in enumerate(elements):
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if action_id is None:
            continue
        if action_id in seen:
            errors.append(f"duplicate action_id {action_id!r} [json-pointer:{pointer}/{i}/action_id]")
        seen.add(action_id)


def _block(block: Any, pointer: str, errors: list[str]) -> None:
    if not isinstance(block, dict) or block.get("type") not in KNOWN_BLOCK_TYPES:
        errors.append(f"must provide a known block type [json-pointer:{pointer}/type]")
        return
    _too_long(block.get("block_id"), MAX_ID, f"{pointer}/block_id", errors)
    kind = block["type"]
    if kind == "section":
        if block.get("text") is None and not block.get("fields"):
            errors.append(f"must provide text or fields [json-pointer:{pointer}]")
        _text_object(block.get("text"), MAX_SECTION_TEXT, f"{pointer}/text", errors)
        fields = block.get("fields") or []
        if len(fields) > MAX_FIELDS:
            errors.append(f"must be less than {MAX_FIELDS + 1} items [json-pointer:{pointer}/fields]")
        for i, item in enumerate(fields):
            _text_object(item, MAX_FIELD_TEXT, f"{pointer}/fields/{i}", errors)
        if block.get("accessory") is not None:
            _element(block["accessory"], f"{pointer}/accessory", errors)
    elif kind == "header":
        _text_object(block.get("text"), MAX_HEADER_TEXT, f"{pointer}/text", errors)
    elif kind in ("actions", "context"):
        elements = block.get("elements") or []
        limit = MAX_ACTION_ELEMENTS if kind == "actions" else MAX_CONTEXT_ELEMENTS
        if not elements or len(elements) > limit:
            errors.append(f"must have 1 to {limit} items [json-pointer:{pointer}/elements]")
        if kind == "actions":
            for i, element in enumerate(elements):
                _element(element, f"{pointer}/elements/{i}", errors)
            _action_ids_unique(elements, f"{pointer}/elements", errors)
        else:
            for i, element in enumerate(elements):
                if isinstance(element, dict) and element.get("type") in ("plain_text", "mrkdwn"):
                    _text_object(element, MAX_SECTION_TEXT, f"{pointer}/elements/{i}", errors)
    elif kind == "input" and block.get("element") is not None:
        _element(block["element"], f"{pointer}/element", errors)


def validate_blocks(blocks: Any, max_blocks: int = MESSAGE_MAX_BLOCKS) -> list[str]:
    """Slack-style error strings for a `blocks` array; empty when Slack would accept it."""
    if not isinstance(blocks, list):
        return ["must be an array [json-pointer:/blocks]"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"must be less than {max_blocks + 1} items [json-pointer:/blocks]")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        _block(block, f"/blocks/{i}", errors)
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if block_id in seen_ids:
                errors.append(f"duplicate block_id {block_id!r} [json-pointer:/blocks/{i}/block_id]")
            seen_ids.add(block_id)
    return errors
