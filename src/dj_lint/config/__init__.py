"""Layer 7, configuration: config files and command-line options resolved into settings."""
from .resolve import ConfigError, ConfiguredLinter, Resolver, Settings, known_selector, read_config, show

__all__ = ["ConfigError", "ConfiguredLinter", "Resolver", "Settings", "known_selector", "read_config",
           "show"]
