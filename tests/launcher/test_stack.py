"""How the launcher starts the Rasa server (launcher/stack.py), read back by Rasa's own parser.

The API token is random when RASA_API_TOKEN is not set (secrets.token_urlsafe), and about one
token in 64 starts with "-": passed as a separate argument, argparse took it for an option and
Rasa refused to start, which showed up as an occasional failure of the channel tests.
The token reaches Rasa through launcher/rasa_server.py, never on the command line.
"""

from __future__ import annotations

import pytest
from rasa.__main__ import create_argument_parser

from launcher.rasa_server import rasa_argv
from launcher.settings import load_stack_settings
from launcher.stack import rasa_service


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--looks-like-an-option", "plain_Token1"])
def test_rasa_receives_the_api_token_whatever_it_starts_with(token: str) -> None:
    service = rasa_service(load_stack_settings({"RASA_API_TOKEN": token}))
    assert service.argv is not None
    assert service.argv[:3] == [service.argv[0], "-m", "launcher.rasa_server"]
    assert not any(token in argument for argument in service.argv)
    in_process = rasa_argv(service.argv[3:], service.env["RASA_API_TOKEN"])
    args = create_argument_parser().parse_args(in_process[1:])
    assert args.auth_token == token
    assert args.enable_api is True
