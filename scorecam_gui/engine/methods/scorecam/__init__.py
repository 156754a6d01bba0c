"""The Score-CAM family: Score-CAM itself (three weightings) and the methods that, like it, score
masked inputs; masks.py holds their shared masked-input machinery."""
