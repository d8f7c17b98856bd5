"""The Python peer: parse every entry file of a knowledge base with tomllib."""
import os
import sys
import tomllib

count = 0
for root, _dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".toml"):
            with open(os.path.join(root, name), "rb") as f:
                tomllib.load(f)
            count += 1
print(count)
