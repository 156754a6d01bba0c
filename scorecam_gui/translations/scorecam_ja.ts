<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AdvancedOptions</name>
    <message>
        <source>How the per-map scores become weights:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What masked-out parts of the photo become:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Masked inputs per forward pass (auto: the engine&apos;s choice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the forward passes run (auto: GPU when there is one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision of the masked forward passes (auto: reduced only where it was measured to be faster and to give the same map). Classification always runs in fp32.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weighting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss the message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Compare makes the map with several methods, so you can see whether they agree. With “Measure how faithful”, each map is also tested: does the network still see the class in the parts the map marks, and does it lose it when they are removed?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <source>Details below the photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the details below the photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the details below, so that the photo gets the room (F8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the details below the photo (F8)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <source>{s} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FaithView</name>
    <message>
        <source>Each column re-initialises more of the network&apos;s layers, from the top (the class scores) down; the maps are compared with the intact network&apos;s (ρ: rank correlation, SSIM: structural similarity, both 1 for the same map). A method that depends on what the network learnt loses similarity; the noise map ignores the network and keeps it (Adebayo et al., 2018).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid test</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeatureMapViewer</name>
    <message>
        <source>strongest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at random (as MATLAB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After Explain, this tab shows what the network&apos;s layer detects in the photo: each feature map lights up where the layer found one pattern. The strongest come first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step through the maps by how much they count in the map (their Score-CAM weight), by channel number, or in a random order as the MATLAB example does</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order of the feature maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which map, in the chosen order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature map number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lay the feature map over the photo the network saw, to see where it fires; off: the raw map, one square per cell of the layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the layer detects, strongest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How strongly the map fires (its activation values)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chosen feature map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow: where each map fires. #number · how much it counts. Click one to look.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the network&apos;s last layer detects, strongest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What this layer detects, strongest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature map #{channel} found nothing in this photo (it counts {weight}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature map #{channel} counts the most of all {count} (weight {weight}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature map #{channel}: number {rank} of {count} by how much it counts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JobProgress</name>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the map as refined so far (marked approximate) and stop scoring masked inputs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MaskedInputsMontage</name>
    <message>
        <source>After Explain, this tab shows what Score-CAM showed the network: the photo seen through one feature map at a time, with how strongly the network still saw the class in each.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo seen through the strongest feature maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo seen through a dozen feature maps at random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strongest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At random
(as MATLAB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each picture is the photo seen through one feature map; the number says how strongly the network still sees the class in it. Click one to open its map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the network was shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo seen through feature map #{channel}: the network&apos;s {kind} for the class is {score} (Score-CAM weight {weight}). Click to open the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{name}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each picture is the photo seen through one feature map; the number says how strongly the network still sees {what} in it ({kind}). Click one to open its map.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScoreKind</name>
    <message>
        <source>probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>logit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>score</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>bundled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tensor output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image classifier whose decision is explained</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which of the network&apos;s layers the map is made from. The default (bold) is the last one, whose feature maps detect whole objects and parts; any layer with a C×H×W output works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the map again with the choices above (F5). A new photo is explained at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import weights…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a weights file you have (for example, fine-tuned)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{layer}: {kind}, output {shape}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{layer}: Score-CAM needs a layer with a C×H×W output</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TopMapsGrid</name>
    <message>
        <source>The strongest feature maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature map #{k} (channel {k}): it counts {weight} in the map (its Score-CAM weight). Click to look at it closely.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeightsPlot</name>
    <message>
        <source>Each feature map&apos;s weight in the heat map (its Score-CAM weight), largest first. A steep drop means a few maps make the picture; a flat curve, many.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much each feature map counts, largest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>maps, strongest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After Explain: how much each of the layer&apos;s feature maps counts in the heat map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {top} strongest of {count} maps make {share} of the heat map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} masked inputs were scored for {count} maps (maps that are empty or alike share one).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>Images ({patterns});;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Photos…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open photos (Ctrl+O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain the image on the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy Overlay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the picture as shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain a &amp;Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain every photo of a folder, in a gallery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import Weights…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forget Imported Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Model File…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain with an ONNX model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Explain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the map again with the current choices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hide Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Grey Photo (MATLAB&apos;s Look)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Colour Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;Details Below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;How to Read the Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About {app}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window&apos;s language is now {language}; some texts change when Score-CAM Studio next starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied the picture to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {count} files to {folder}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How to read the map</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_Tile</name>
    <message>
        <source>Click to show this map over the photo above</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
