from .cli import entry

if __name__ == "__main__":  # not when --jobs under spawn imports it again in a worker
    entry()
