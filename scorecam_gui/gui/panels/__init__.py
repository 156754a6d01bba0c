"""The panels of the main window: the photo with its map, the prediction list, the feature maps
and masked inputs, the weights plot, the photo strip, the sidebar and the details below the
photo."""
