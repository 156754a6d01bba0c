"""How the networks run: the batch-forward API every method's passes go through (inference.py),
the faster copy of a network (rewrite.py), devices and precisions (device.py), the OpenVINO
backend (openvino.py) and the thread policy the entry points set before torch loads
(threads.py)."""
